import type { RiskTier } from './types.js';

/** How each tier is shown to admins: the label, the card colour, and what it will ask of them. */
export const TIER_PRESENTATION: Record<RiskTier, { label: string; color: string; meaning: string }> = {
  read: { label: 'Read', color: 'Good', meaning: 'signed in with an admin role; changes nothing' },
  write: {
    label: 'Write · MFA',
    color: 'Warning',
    meaning: 'changes the tenant; needs MFA within the last 15 minutes',
  },
  dangerous: {
    label: 'Dangerous · MFA + approval',
    color: 'Attention',
    meaning: "high impact; needs MFA within 5 minutes and a second admin's approval",
  },
};

/** Graph's `serviceHealthStatus` values → what the card says, and its colour. */
const STATUS: Record<string, { text: string; color: string }> = {
  serviceOperational: { text: 'Operational', color: 'Good' },
  investigating: { text: 'Investigating', color: 'Warning' },
  restoringService: { text: 'Restoring service', color: 'Warning' },
  verifyingService: { text: 'Verifying service', color: 'Warning' },
  serviceRestored: { text: 'Restored', color: 'Good' },
  postIncidentReviewPublished: { text: 'Post-incident review published', color: 'Good' },
  serviceDegradation: { text: 'Degraded', color: 'Warning' },
  serviceInterruption: { text: 'Interrupted', color: 'Attention' },
  extendedRecovery: { text: 'Extended recovery', color: 'Warning' },
  falsePositive: { text: 'False positive', color: 'Good' },
  investigationSuspended: { text: 'Investigation suspended', color: 'Default' },
  resolved: { text: 'Resolved', color: 'Good' },
  mitigatedExternal: { text: 'Mitigated (external)', color: 'Good' },
  mitigated: { text: 'Mitigated', color: 'Good' },
  resolvedExternal: { text: 'Resolved (external)', color: 'Good' },
  confirmed: { text: 'Confirmed', color: 'Attention' },
  reported: { text: 'Reported', color: 'Warning' },
};

export function healthStatus(status: string | undefined): { text: string; color: string } {
  return STATUS[status ?? ''] ?? { text: status ?? 'unknown', color: 'Default' };
}

export interface HealthIssue {
  id: string;
  title?: string;
  classification?: string;
  status?: string;
  isResolved?: boolean;
  startDateTime?: string | null;
  impactDescription?: string | null;
  feature?: string | null;
}

export interface ServiceHealth {
  id: string;
  service: string;
  status: string;
  issues?: HealthIssue[];
}

export const HEALTH_OVERVIEWS = '/admin/serviceAnnouncement/healthOverviews';

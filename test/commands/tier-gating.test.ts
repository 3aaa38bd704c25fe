import assert from 'node:assert/strict';
import { CommandRegistry } from '../../bot/commands/registry.js';
import type { AnyCommand } from '../../bot/commands/types.js';
import { evaluatePolicy, stepUpPolicy } from '../../bot/identity/policy.js';

/**
 * The gate's verdict for every command of the catalog, from its declared tier: what a signed-in admin without
 * MFA, with MFA 10 minutes ago and with MFA 1 minute ago may do. The identity tests prove each verdict end to end
 * (step-up card, resume, approval); this table proves every descriptor lands in the right row.
 */
describe('tier gating of every command', () => {
  let commands: readonly AnyCommand[] = [];
  const policy = stepUpPolicy({ write: 900, dangerous: 300 });
  const now = 2_000_000_000;
  const verdict = (command: AnyCommand, evidence: { amr: string[]; acrs: string[]; authTime?: number }) =>
    evaluatePolicy(policy, command.tier, evidence, 'c1', now, command.mfaMaxAgeSeconds).kind;
  const noMfa = { amr: ['pwd'], acrs: [], authTime: now - 60 };
  const mfa10min = { amr: ['pwd', 'mfa'], acrs: [], authTime: now - 600 };
  const mfa1min = { amr: ['pwd'], acrs: ['c1'], authTime: now - 60 };

  before(async () => {
    commands = (await CommandRegistry.discover()).all();
  });

  it('covers the catalog', () => {
    assert.ok(commands.length >= 60, `${commands.length} commands`);
  });

  it('lets reads run on a plain sign-in, and never lets a change run without it', () => {
    const wrong = commands.flatMap((c) => {
      const problems: string[] = [];
      if (c.tier !== 'read' && c.public) problems.push(`${c.name}: changes the tenant without sign-in`);
      if (c.tier === 'read' && !c.mfaMaxAgeSeconds && verdict(c, noMfa) !== 'ok')
        problems.push(`${c.name}: read should run without MFA`);
      return problems;
    });
    assert.deepEqual(wrong, []);
  });

  it(
    'asks every write and dangerous command for MFA, and dangerous ones (and approval decisions) for MFA within 5 ' +
      'minutes',
    () => {
      const wrong = commands.flatMap((c) => {
        if (c.tier === 'read' && !c.mfaMaxAgeSeconds) return [];
        const problems: string[] = [];
        if (verdict(c, noMfa) !== 'step-up') problems.push(`${c.name}: no step-up without MFA`);
        const strict = c.tier === 'dangerous' || (c.mfaMaxAgeSeconds ?? Infinity) <= 300;
        const after10 = verdict(c, mfa10min);
        if (strict && after10 !== 'step-up') problems.push(`${c.name}: 10-minute-old MFA accepted`);
        if (!strict && after10 !== 'ok') problems.push(`${c.name}: 10-minute-old MFA refused for a write`);
        const fresh = verdict(c, mfa1min);
        if (c.tier === 'dangerous' && fresh !== 'needs-approval')
          problems.push(`${c.name}: dangerous without approval (${fresh})`);
        if (c.tier !== 'dangerous' && fresh !== 'ok') problems.push(`${c.name}: fresh MFA refused (${fresh})`);
        return problems;
      });
      assert.deepEqual(wrong, []);
    },
  );

  it('keeps the catalog tiers: the dangerous ones are exactly those that can lock people out or delete', () => {
    const dangerous = commands
      .filter((c) => c.tier === 'dangerous')
      .map((c) => c.name)
      .sort();
    assert.deepEqual(dangerous, [
      'admin block',
      'admin unblock',
      // Releases a large bulk job or a bulk block: a second admin approves the previewed job.
      'bulk approve-run',
      'license remove',
      'user delete',
      'user mfa reset',
      'user password reset',
      'user tap',
    ]);
  });
});

import { z } from 'zod';
import { withQuery } from '../../graph/odata.js';
import { graphOf } from '../_lib/context.js';
import { listOutput } from '../_lib/list-card.js';
import { localPage, pageArg } from '../_lib/local-page.js';
import { pickByName } from '../_lib/pick-by-name.js';
import { utcText } from '../_lib/time-args.js';
import { defineCommand, type CommandOutput } from '../types.js';
import { HEALTH_OVERVIEWS, healthStatus, type ServiceHealth } from './_health.js';

/** Open issues shown on a service's card; the rest are counted. */
const ISSUES_SHOWN = 8;

function serviceCard(health: ServiceHealth): CommandOutput {
  const status = healthStatus(health.status);
  const issues = health.issues ?? [];
  const open = issues.filter((i) => !i.isResolved);
  const resolved = issues.length - open.length;
  return {
    card: 'service-health',
    data: {
      service: health.service,
      status: status.text,
      statusColor: status.color,
      summary: open.length
        ? `${open.length} open issue(s)${open.length > ISSUES_SHOWN ? `, the ${ISSUES_SHOWN} newest shown` : ''}${resolved ? `; ${resolved} resolved recently` : ''}.`
        : `No open issues${resolved ? `; ${resolved} resolved recently` : ''}.`,
      issues: open
        .sort((a, b) => String(b.startDateTime).localeCompare(String(a.startDateTime)))
        .slice(0, ISSUES_SHOWN)
        .map((i) => ({
          title: `${i.id}: ${i.title ?? ''}`.trim(),
          facts:
            `${i.classification === 'incident' ? 'Incident' : 'Advisory'} · ${healthStatus(i.status).text} · since ` +
            `${utcText(i.startDateTime)}${i.feature ? ` · ${i.feature}` : ''}`,
          impact: i.impactDescription ?? '',
          color: i.classification === 'incident' ? 'Attention' : 'Warning',
        })),
      actions: [{ title: 'All services', text: 'health' }],
    },
    text: `${health.service}: ${status.text}, ${open.length} open issue(s).`,
  };
}

export default defineCommand({
  name: 'health',
  summary: 'Microsoft 365 service health: every service with its open issues, or one service in detail.',
  usage: 'health [service...]',
  examples: ['health', 'health teams', 'health "Exchange Online"'],
  args: {
    positional: ['service...'],
    schema: z.object({ service: z.string().trim().min(2).max(100).optional(), ...pageArg }).strict(),
  },
  tier: 'read',
  scopes: ['ServiceHealth.Read.All'],
  // Works app-only (no /me, nothing of the admin's session): may run as the reports app (schedule add).
  schedulable: { appScopes: ['ServiceHealth.Read.All'] },
  async run(ctx, args) {
    // One round trip either way: every service with its issues (a few dozen services), so "teams" can find
    // "Microsoft Teams" by name without a lookup table.
    const issueFields = args.service
      ? 'id,title,classification,status,isResolved,startDateTime,impactDescription,feature'
      : 'id,title,isResolved';
    const response = await graphOf(ctx).get<{ value: ServiceHealth[] }>(
      withQuery(HEALTH_OVERVIEWS, { $select: ['id', 'service', 'status'], $expand: `issues($select=${issueFields})` }),
    );
    const services = response.body.value ?? [];
    if (args.service)
      return serviceCard(pickByName(services, args.service, { name: (s) => s.service, noun: 'Microsoft 365 service' }));
    const ranked = [...services].sort(
      (a, b) =>
        Number(a.status === 'serviceOperational') - Number(b.status === 'serviceOperational') ||
        a.service.localeCompare(b.service),
    );
    return listOutput(localPage(ctx, ranked, args.page), {
      title: 'Service health',
      noun: 'services',
      empty: 'Graph reports no services for this tenant.',
      row: (s) => {
        const open = (s.issues ?? []).filter((i) => !i.isResolved);
        const status = healthStatus(s.status);
        return {
          title: s.service,
          detail: open.length
            ? `${open.length} open: ${open
                .slice(0, 2)
                .map((i) => i.title)
                .join('; ')}${open.length > 2 ? '; …' : ''}`
            : 'no open issues',
          badge: status.text,
          badgeColor: status.color,
          open: `health "${s.service}"`,
        };
      },
    });
  },
});

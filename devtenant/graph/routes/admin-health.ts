// /admin/serviceAnnouncement/healthOverviews (with $expand=issues) and /healthOverviews/{serviceName}
// (the key is the service name, spaces included: `healthOverviews/Microsoft Teams`).
import { registerRoutes } from './registry.js';
import { entityResponse, listCollection, project } from '../odata/collection.js';
import { DATE_RANGE, P, type EntitySchema } from '../odata/schema.js';
import { ROLES } from '../permissions.js';
import { GraphError } from '../errors.js';
import type { ServiceHealth, ServiceHealthIssue } from '../../seed/index.js';

const HEALTH_READ = { delegated: ['ServiceHealth.Read.All'], application: ['ServiceHealth.Read.All'] };

const issueSchema: EntitySchema<ServiceHealthIssue> = {
  typeName: 'microsoft.graph.serviceHealthIssue',
  resourceName: 'ServiceHealthIssue',
  directory: false,
  properties: {
    id: P.str(['eq']),
    title: P.str(['eq']),
    service: P.str(['eq']),
    status: P.enumeration(['eq']),
    classification: P.enumeration(['eq']),
    feature: P.str(['eq']),
    featureGroup: P.str(['eq']),
    impactDescription: P.str(),
    isResolved: P.bool(['eq']),
    origin: P.enumeration(['eq']),
    startDateTime: P.date(DATE_RANGE, true),
    endDateTime: P.date(DATE_RANGE, true),
    lastModifiedDateTime: P.date(DATE_RANGE, true),
    details: P.complexes(),
    posts: P.complexes(),
  },
  toJson: (i) => ({
    startDateTime: i.startDateTime,
    endDateTime: i.endDateTime,
    lastModifiedDateTime: i.lastModifiedDateTime,
    title: i.title,
    id: i.id,
    impactDescription: i.impactDescription,
    classification: i.classification,
    origin: i.origin,
    status: i.status,
    service: i.service,
    feature: i.feature,
    featureGroup: i.featureGroup,
    isResolved: i.isResolved,
    details: [],
    posts: [],
  }),
};

const healthSchema: EntitySchema<ServiceHealth> = {
  typeName: 'microsoft.graph.serviceHealth',
  resourceName: 'ServiceHealth',
  directory: false,
  properties: { id: P.str(['eq']), service: P.str(['eq']), status: P.enumeration(['eq']) },
  navigation: { issues: (h, e) => h.issues.map((i) => project(e.ctx, issueSchema, i, e.select)) },
  toJson: (h) => ({ service: h.service, status: h.status, id: h.id }),
};

registerRoutes([
  {
    method: 'GET',
    path: '/admin/serviceAnnouncement/healthOverviews',
    permissions: HEALTH_READ,
    roles: ROLES.healthReaders,
    handler: (ctx) =>
      listCollection(ctx, {
        schema: healthSchema,
        items: ctx.tenant.healthOverviews,
        contextPath: 'admin/serviceAnnouncement/healthOverviews',
        page: { default: 100, max: 100 },
        disallow: ['search', 'count'],
      }),
  },
  {
    method: 'GET',
    path: '/admin/serviceAnnouncement/healthOverviews/{serviceName}',
    permissions: HEALTH_READ,
    roles: ROLES.healthReaders,
    handler: (ctx) => {
      const name = ctx.params.serviceName;
      const health = ctx.tenant.healthOverviews.find((h) => h.id.toLowerCase() === name.toLowerCase());
      if (!health) throw new GraphError(404, 'NotFound', `Service '${name}' was not found.`);
      return entityResponse(ctx, healthSchema, health, 'admin/serviceAnnouncement/healthOverviews');
    },
  },
]);

// Every route file registers into the table on import. Add one import line per route file.
import './users.js';
import './licenses.js';
import './auth-methods.js';
import './reports.js';
import './roles.js';
import './pim.js';
import './groups.js';
import './directory-create.js';
import './users-delta.js';
import './logs.js';
import './member-of.js';
import './teams.js';
import './admin-teams.js';
import './admin-phone.js';
import './admin-health.js';

export { routeTable, compiledRoutes, registerRoutes } from './registry.js';

// Every route file registers into the table on import. Add one import line per route file.
import './users.js';

export { routeTable, compiledRoutes, registerRoutes } from './registry.js';

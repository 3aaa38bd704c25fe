import assert from 'node:assert/strict';
import { CommandRegistry } from '../../../bot/commands/registry.js';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const TEAMS_ADMINISTRATOR = '69091246-20e8-4a56-aa4d-066075b2a7a8';

describe('teams and voice command descriptors', () => {
  let registry: CommandRegistry;
  before(async () => {
    registry = await CommandRegistry.discover();
  });

  const mine = () => registry.all().filter((c) => c.area === 'teams' || c.area === 'voice');

  it('declares every catalog command of the area with its tier', () => {
    const tiers = Object.fromEntries(mine().map((c) => [c.name, c.tier]));
    assert.deepEqual(tiers, {
      teams: 'read',
      team: 'read',
      'team members': 'read',
      'team add': 'write',
      'team remove': 'write',
      'team archive': 'write',
      'team unarchive': 'write',
      'teams config': 'read',
      'policy id': 'read',
      'policy grant': 'write',
      'policy revoke': 'write',
      'phone numbers': 'read',
      'phone assign': 'write',
      'phone unassign': 'write',
    });
  });

  it('names narrower roles on every write, always including Global and Teams Administrator', () => {
    for (const command of mine().filter((c) => c.tier !== 'read')) {
      assert.ok(
        command.roles?.includes(GLOBAL_ADMINISTRATOR),
        `${command.name} must not lock out Global Administrators`,
      );
      assert.ok(command.roles?.includes(TEAMS_ADMINISTRATOR), command.name);
    }
  });

  it('routes "teams config <user>" to teams config, not to a team search for "config"', () => {
    assert.equal(registry.match(['teams', 'config', 'alice@contoso.com'])?.command.name, 'teams config');
    assert.equal(registry.match(['teams', 'sales'])?.command.name, 'teams');
  });
});

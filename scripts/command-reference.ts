// Writes COMMANDS.md from the command descriptors (npm run docs:commands).
import { writeFileSync } from 'node:fs';
import { CommandRegistry } from '../bot/commands/registry.js';
import { commandReference } from '../bot/commands/reference.js';

const registry = await CommandRegistry.discover();
writeFileSync('COMMANDS.md', commandReference(registry.all()));
console.log(`COMMANDS.md: ${registry.all().length} commands`);

import assert from 'node:assert/strict';
import { isSwitch, objectShape } from '../../../bot/commands/bind-args.js';
import { PhraseMatcher, decide, type Candidate } from '../../../bot/commands/_matcher/index.js';
import { synonymTableSize } from '../../../bot/commands/_matcher/vocabulary.js';
import { CommandRegistry } from '../../../bot/commands/registry.js';
import { tokenize } from '../../../bot/commands/tokenize.js';
import type { AnyCommand } from '../../../bot/commands/types.js';
import { PHRASINGS, type Phrasing } from './phrasings.js';

/** A command text as its name and argument values (positional names and flags), without validating them. */
function parseCommand(registry: CommandRegistry, text: string): { name: string; args: Record<string, string> } {
  const words = tokenize(text);
  const match = registry.match(words);
  if (!match) throw new Error(`not a command: ${text}`);
  const command: AnyCommand = match.command;
  const shape = objectShape(command.args.schema);
  const args: Record<string, string> = {};
  const loose: string[] = [];
  const rest = words.slice(match.consumed);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i].startsWith('--')) {
      const key = rest[i].slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      args[key] = isSwitch(shape, key) ? 'true' : (rest[++i] ?? '');
    } else loose.push(rest[i]);
  }
  command.args.positional.forEach((p, index) => {
    const value = p.endsWith('...') ? loose.slice(index).join(' ') : loose[index];
    if (value) args[p.replace('...', '')] = value;
  });
  return { name: command.name, args };
}

interface Outcome {
  phrasing: Phrasing;
  expected: { name: string; args: Record<string, string> };
  candidates: Candidate[];
  top1: boolean;
  top3: boolean;
  argsTotal: number;
  argsCarried: number;
  ran?: string;
}

describe('phrase matcher: evaluation on admins’ own phrasings', () => {
  let registry: CommandRegistry;
  let matcher: PhraseMatcher;
  let outcomes: Outcome[];

  before(async () => {
    registry = await CommandRegistry.discover();
    matcher = new PhraseMatcher(registry.all());
    outcomes = PHRASINGS.map((phrasing) => {
      const expected = parseCommand(registry, phrasing.expect);
      const reading = matcher.read(phrasing.say);
      const candidates = reading.candidates;
      const names = candidates.map((c) => parseCommand(registry, c.text));
      const top1 = names[0]?.name === expected.name;
      const keys = Object.keys(expected.args);
      const carried = top1 ? keys.filter((k) => names[0].args[k] === expected.args[k]).length : 0;
      return {
        phrasing,
        expected,
        candidates,
        top1,
        top3: names.some((n) => n.name === expected.name),
        argsTotal: keys.length,
        argsCarried: carried,
        ran: decide(reading).run?.text,
      };
    });
  });

  function rates(selected: Outcome[]) {
    const args = selected.reduce((n, o) => n + o.argsTotal, 0);
    return {
      count: selected.length,
      top1: selected.filter((o) => o.top1).length / selected.length,
      top3: selected.filter((o) => o.top3).length / selected.length,
      args: selected.reduce((n, o) => n + o.argsCarried, 0) / args,
      argsTotal: args,
    };
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

  it('has at least 100 phrasings, none of them a command as typed', () => {
    assert.ok(PHRASINGS.length >= 100, `${PHRASINGS.length} phrasings`);
    for (const { say } of PHRASINGS) assert.equal(registry.match(tokenize(say))?.command.name, undefined, say);
  });

  it('finds the command (top-1 ≥ 90%, top-3 ≥ 97%) and carries its arguments (≥ 90%)', () => {
    const all = rates(outcomes);
    const held = rates(outcomes.filter((o) => o.phrasing.heldOut));
    const size = synonymTableSize();
    const ran = outcomes.filter((o) => o.ran);
    const ranWrong = ran.filter((o) => registry.match(tokenize(o.ran!))?.command.name !== o.expected.name);
    console.log(
      `      matcher: ${all.count} phrasings: top-1 ${pct(all.top1)}, top-3 ${pct(all.top3)}, ` +
        `arguments carried ${pct(all.args)} of ${all.argsTotal}; held out (${held.count}): top-1 ${pct(held.top1)}, ` +
        `top-3 ${pct(held.top3)}, arguments ${pct(held.args)}; run without a click: ${ran.length} (another ` +
        `command than meant: ${ranWrong.length}); ` +
        `synonym table: ${size.rows} rows, ${size.forms} forms`,
    );
    for (const o of outcomes.filter((x) => !x.top1 || x.argsCarried < x.argsTotal)) {
      console.log(
        `        ✗ "${o.phrasing.say}" → ${o.candidates.map((c) => `${c.text} (${c.score})`).join(' | ') || 'nothing'}; ` +
          `expected ${o.phrasing.expect}`,
      );
    }
    assert.ok(all.top1 >= 0.9, `top-1 ${pct(all.top1)}`);
    assert.ok(all.top3 >= 0.97, `top-3 ${pct(all.top3)}`);
    assert.ok(all.args >= 0.9, `arguments ${pct(all.args)}`);
    // A read run from a guess says how it was understood, but should rarely be the wrong one.
    assert.ok(
      ranWrong.length <= 0.05 * ran.length,
      `${ranWrong.length} of ${ran.length} runs were not the command meant`,
    );
  });

  it('never runs a write or dangerous command from a guess', () => {
    for (const o of outcomes) {
      const ran = o.ran ? registry.match(tokenize(o.ran))?.command : undefined;
      if (ran) assert.equal(ran.tier, 'read', `"${o.phrasing.say}" would run ${o.ran}`);
    }
    const writes = outcomes.filter((o) => registry.find(o.expected.name)?.tier !== 'read');
    assert.ok(writes.length >= 25, 'the set holds write and dangerous requests');
    assert.ok(writes.every((o) => o.ran === undefined));
  });
});

import { takeApprovalOptions } from '../approval-request.js';
import { bindArgs } from '../bind-args.js';
import { closestNames } from '../suggest.js';
import { tokenize } from '../tokenize.js';
import type { AnyCommand, RiskTier } from '../types.js';
import { analyze, type Analysis } from './analyze.js';
import { place, render, type Placement } from './place.js';
import { profileOf, type CommandProfile } from './profile.js';

/** One way to read the text: a command with the arguments found, as the text to run. */
export interface Candidate {
  command: AnyCommand;
  /** The full command text (arguments quoted so it tokenizes back to the same words). */
  text: string;
  score: number;
  /** The arguments bind: running `text` does what it says rather than answering with usage. */
  complete: boolean;
  /** Values the admin typed that this reading leaves out. */
  dropped: number;
  /** Found by spelling (a typo of a command name) rather than by meaning: never run without a click. */
  bySpelling?: boolean;
}

interface Scored {
  profile: CommandProfile;
  placement: Placement;
  score: number;
}

export interface Reading {
  candidates: Candidate[];
  analysis: Analysis;
}

/** Weights of the score; the evaluation (test/commands/matcher) is what they are tuned against. */
const W = {
  nameHit: 3,
  describeHit: 1,
  unexplained: 0.5,
  missingName: 1.5,
  fit: 1.5,
  dropped: 3,
  droppedWord: 1.5,
  missingRequired: 1,
  plural: 2,
  questionWrite: 3,
  /** How far ahead of the second a read must be to run without a click. */
  runMargin: 1,
};
const MIN_SCORE = 3;

/**
 * Finds the commands free text means, from what the descriptors already say (names, aliases, summaries, usage,
 * area) and the domain's synonyms. Pure and deterministic: the same text and commands give the same answer.
 */
export class PhraseMatcher {
  private readonly profiles: CommandProfile[];
  private readonly vocabulary: Set<string>;
  private readonly idf = new Map<string, number>();
  private readonly names: string[];

  constructor(commands: readonly AnyCommand[]) {
    this.profiles = commands.map(profileOf);
    this.vocabulary = new Set(this.profiles.flatMap((p) => [...p.nameConcepts, ...p.describes]));
    const n = this.profiles.length;
    for (const concept of this.vocabulary) {
      const df = this.profiles.filter((p) => p.nameConcepts.has(concept) || p.describes.has(concept)).length;
      this.idf.set(concept, Math.log(1 + n / Math.max(1, df)));
    }
    this.names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  }

  /** The best readings of `text`, best first (at most `limit`). */
  read(text: string, limit = 3): Reading {
    const analysis = analyze(text, this.vocabulary);
    const scored = this.profiles
      .filter((p) => !(analysis.howTo && p.command.name === 'help'))
      .map((p) => this.score(p, analysis))
      .filter((s): s is Scored => s !== undefined && s.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score || a.profile.command.name.localeCompare(b.profile.command.name));
    // Only the few shown are written out and bound (binding runs the schemas: the costly part).
    let candidates = scored.slice(0, limit).map((s) => this.finish(s));
    if (analysis.howTo) candidates = candidates.map((c) => this.helpFor(c)).filter((c): c is Candidate => !!c);
    // A first word nobody uses that spells a command's name ("usr blok …", "hepl"): a typo, not a sentence.
    const spelled = analysis.unknownStart || candidates.length === 0 ? this.bySpelling(text, limit) : [];
    if (spelled.length > 0) candidates = spelled;
    return { candidates, analysis };
  }

  private score(profile: CommandProfile, analysis: Analysis): Scored | undefined {
    const placement = place(profile, analysis);
    const concepts = new Set(analysis.concepts);
    // "block alice": the user is said by naming one.
    if (profile.slots.some((s) => s.kind === 'user' && placement.values[s.key] !== undefined)) concepts.add('user');
    // A reading needs a word said about the command, or a typed UPN / id for its user; an unknown word alone
    // ("hepl", which would fit `user <name>`) is not one.
    const said = placement.typedUser ? concepts : analysis.concepts;
    let saysSomething = false;
    for (const c of said) if (profile.nameConcepts.has(c) || profile.describes.has(c)) saysSomething = true;
    if (!saysSomething) return undefined;
    let score = 0;
    for (const concept of concepts) {
      const idf = this.idf.get(concept) ?? 0;
      if (profile.nameConcepts.has(concept)) score += W.nameHit * idf;
      else if (profile.describes.has(concept)) score += W.describeHit * idf;
      // A word said about something this command does not mention: another command is probably meant.
      else score -= W.unexplained * idf;
    }
    let missing = Infinity;
    for (const name of profile.names) {
      let sum = 0;
      for (const c of name) if (!concepts.has(c)) sum += this.idf.get(c) ?? 0;
      missing = Math.min(missing, sum);
    }
    score -= W.missingName * missing;
    score += W.fit * placement.fitScore;
    score -= W.dropped * placement.dropped.length;
    score -= W.droppedWord * placement.droppedWords;
    score -= W.missingRequired * placement.missing.length;
    // "sign-ins" is the list, "sign-in" the last one: the number a name concept is said in.
    for (const plural of analysis.plurals) {
      if (profile.plurals.has(plural)) score += W.plural;
      else if (profile.nameConcepts.has(plural)) score -= W.plural / 2;
    }
    if (analysis.question && profile.command.tier !== 'read') score -= W.questionWrite;
    return { profile, placement, score: Math.round(score * 100) / 100 };
  }

  private finish({ profile, placement, score }: Scored): Candidate {
    const text = render(profile, placement.values) ?? profile.command.name;
    return {
      command: profile.command,
      text,
      score,
      complete: placement.missing.length === 0 && binds(profile.command, text),
      dropped: placement.dropped.length,
    };
  }

  /** "How do I block a user": help on the command meant. */
  private helpFor(candidate: Candidate): Candidate | undefined {
    const help = this.profiles.find((p) => p.command.name === 'help')?.command;
    if (!help) return undefined;
    return { ...candidate, command: help, text: `help ${candidate.command.name}`, complete: true, dropped: 0 };
  }

  /** No meaning found: a misspelt command name ("usr blok alice@…"), with the rest of the words kept. */
  private bySpelling(text: string, limit: number): Candidate[] {
    let words: string[];
    try {
      words = tokenize(text);
    } catch {
      return [];
    }
    return closestNames(words, this.names, limit).flatMap((name) => {
      const profile = this.profiles.find((p) => p.command.name === name || p.command.aliases?.includes(name));
      if (!profile) return [];
      const rest = words.slice(name.split(' ').length);
      const quoted = rest.map((w) => (/[\s"']/.test(w) ? `"${w.replace(/"/g, '')}"` : w));
      const commandText = [profile.command.name, ...quoted].join(' ');
      return [
        {
          command: profile.command,
          text: commandText,
          score: 0,
          complete: binds(profile.command, commandText),
          dropped: 0,
          bySpelling: true,
        },
      ];
    });
  }
}

/** The text parses and its arguments bind: what the dispatcher would accept. */
export function binds(command: AnyCommand, text: string): boolean {
  try {
    const words = tokenize(text).slice(command.name.split(' ').length);
    bindArgs(command, command.tier === 'dangerous' ? takeApprovalOptions(words).words : words);
    return true;
  } catch {
    return false;
  }
}

/** How clearly the best reading wins, and whether it may run without a click. */
export function decide(reading: Reading): { run?: Candidate; tier?: RiskTier } {
  const [best, second] = reading.candidates;
  if (!best || best.bySpelling || !best.complete || best.dropped > 0) return {};
  if (best.command.tier !== 'read') return { tier: best.command.tier };
  const margin = best.score - (second?.score ?? 0);
  return margin >= Math.max(W.runMargin, 0.1 * best.score) ? { run: best, tier: 'read' } : { tier: 'read' };
}

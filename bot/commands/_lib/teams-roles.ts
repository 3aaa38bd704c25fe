/**
 * Directory roles (built-in template ids, the same in every tenant) that may make Teams changes. Declared on the
 * write commands so the gate can say "another admin role needed" before asking for an MFA step-up that would
 * only end in Graph's 403. Global Administrator is always listed: a narrower list must never lock it out.
 */
const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const TEAMS_ADMINISTRATOR = '69091246-20e8-4a56-aa4d-066075b2a7a8';
const TEAMS_COMMUNICATIONS_ADMINISTRATOR = 'baf37b3a-610e-45da-9e62-d9d1e5e8914b';

/** Team membership and archiving. */
export const TEAM_WRITER_ROLES = [GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR];

/** Policy assignment and phone numbers: Teams Communications Administrators manage calling and meeting settings. */
export const VOICE_WRITER_ROLES = [GLOBAL_ADMINISTRATOR, TEAMS_ADMINISTRATOR, TEAMS_COMMUNICATIONS_ADMINISTRATOR];

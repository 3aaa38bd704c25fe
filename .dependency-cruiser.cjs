/**
 * Architecture rules checked by `npm run lint`:
 * - no import cycles anywhere in bot/ or devtenant/;
 * - bot/ and devtenant/ meet only over HTTP;
 * - only bot/teams/ knows the Bot Framework / teams-ai packages (the Teams boundary: a later move to the Teams SDK
 *   is a change of that folder).
 */
module.exports = {
  forbidden: [
    { name: 'no-cycle', severity: 'error', from: { path: '^(bot|devtenant)/' }, to: { circular: true } },
    { name: 'bot-not-devtenant', severity: 'error', from: { path: '^bot/' }, to: { path: '^devtenant/' } },
    {
      name: 'teams-boundary',
      comment: 'botbuilder / teams-ai / botframework-* are known to bot/teams/ only',
      severity: 'error',
      from: { path: '^bot/', pathNot: '^bot/teams/' },
      to: { path: 'node_modules/(botbuilder|@microsoft/teams-ai|botframework-)' },
    },
    { name: 'devtenant-not-bot', severity: 'error', from: { path: '^devtenant/' }, to: { path: '^bot/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};

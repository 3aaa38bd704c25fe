import assert from 'node:assert/strict';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { isAccountDisabled } from '../../bot/identity/account-disabled.js';

describe('identity: a disabled account is told apart from other refused refreshes (unit)', () => {
  it('recognises AADSTS50057 by error number or in the message, from msal-node error classes', () => {
    const byNumber = new InteractionRequiredAuthError('invalid_grant', 'x', '', '', '', '', '', '50057');
    const byMessage = new ServerError('invalid_grant', 'AADSTS50057: The user account is disabled. Trace ID: 1');
    assert.equal(isAccountDisabled(byNumber), true);
    assert.equal(isAccountDisabled(byMessage), true);
  });

  it('does not take a revoked grant, another AADSTS number or a non-msal error for a disabled account', () => {
    const revoked = new InteractionRequiredAuthError('invalid_grant', 'AADSTS50173: The provided grant has expired');
    assert.equal(isAccountDisabled(revoked), false);
    assert.equal(isAccountDisabled(new ServerError('invalid_grant', 'AADSTS500571: something else')), false);
    assert.equal(isAccountDisabled(new Error('AADSTS50057')), false);
  });
});

import type { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationError } from 'botframework-connector';

/** Errors of the JWT library botbuilder validates channel tokens with: all mean "this token is not acceptable". */
const TOKEN_REJECTIONS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

interface AuthenticatesRequests {
  authenticateRequest(...args: unknown[]): Promise<unknown>;
}

/**
 * botbuilder answers 401 only for its own AuthenticationError; a bad signature, `alg: none`, a wrong algorithm or a
 * not-yet-valid token surface as the JWT library's errors and would become 500. They are refused either way (no
 * turn runs), but a forged token must look like what it is to the caller and to monitoring: 401.
 */
export function answerRejectedTokensWith401(adapter: TeamsAdapter): void {
  // CloudAdapter keeps its authentication in a protected field; wrapping it is the only hook botbuilder offers.
  const auth = (adapter as unknown as { botFrameworkAuthentication: AuthenticatesRequests }).botFrameworkAuthentication;
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (...args: unknown[]) => {
    try {
      return await authenticate(...args);
    } catch (err) {
      if (err instanceof Error && TOKEN_REJECTIONS.has(err.name))
        throw new AuthenticationError('Unauthorized: the token is not acceptable.', 401);
      throw err;
    }
  };
}

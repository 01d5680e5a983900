/**
 * UI text of `<impp-sign-in>` (merged into the shared strings table by `setStrings`).
 * @module
 */
export interface SignInStrings {
  signInHeading: string;
  signInAddressLabel: string;
  signInPasswordLabel: string;
  signInButton: string;
  signingIn: string;
  signInService: (service: string) => string;
  signOut: string;
}

let current: SignInStrings = {
  signInHeading: 'Sign in to chat',
  signInAddressLabel: 'Address',
  signInPasswordLabel: 'Password',
  signInButton: 'Sign in',
  signingIn: 'Signing in…',
  signInService: (service) => `Server: ${service}`,
  signOut: 'Sign out',
};

/** The current sign-in strings. */
export function signInStrings(): SignInStrings {
  return current;
}

/** Replaces some sign-in strings (e.g. for a translation). */
export function setSignInStrings(partial: Partial<SignInStrings>): void {
  current = { ...current, ...partial };
}

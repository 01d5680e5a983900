/**
 * UI text of `<impp-sign-in>`, in the element's own chunk. `setStrings` (../strings.ts) sets
 * these keys like any other.
 * @module
 */
import { stringsFor } from '../strings.js';

/** The strings `<impp-sign-in>` adds to {@link ImppStrings}. */
export interface SignInStrings {
  signInHeading: string;
  signInAddressLabel: string;
  signInPasswordLabel: string;
  signInButton: string;
  signingIn: string;
  signInService: (service: string) => string;
}

/** The English defaults. */
export const defaultSignInStrings: Readonly<SignInStrings> = {
  signInHeading: 'Sign in to chat',
  signInAddressLabel: 'Address',
  signInPasswordLabel: 'Password',
  signInButton: 'Sign in',
  signingIn: 'Signing in…',
  signInService: (service) => `Server: ${service}`,
};

/** The current `<impp-sign-in>` strings: the defaults with what `setStrings` gave for their keys. */
export function signInStrings(): Readonly<SignInStrings> {
  return stringsFor(defaultSignInStrings);
}

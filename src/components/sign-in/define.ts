/**
 * Side-effect module: registers `<impp-sign-in>` on its own (guarded, so it is harmless when
 * `defineAll()` registers it too). `<impp-client>` loads it when it first shows its form.
 *
 * @example
 * ```ts
 * import 'impp-kit/components/sign-in/define';
 * ```
 * @module
 */
import { defineElement } from '../define.js';
import { ImppSignIn } from './impp-sign-in.js';

defineElement('impp-sign-in', ImppSignIn);

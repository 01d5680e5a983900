/**
 * Side-effect module: registers every impp-kit element.
 *
 * @example
 * ```html
 * <script type="module" src="impp-kit/define"></script>
 * <impp-client transport="in-page" user="alice"><impp-status></impp-status></impp-client>
 * ```
 * @module
 */
import { defineAll } from './index.js';

defineAll();

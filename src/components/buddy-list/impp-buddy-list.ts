import { html, nothing } from 'lit';
import { Subscription } from 'rxjs';
import { parseAddress, type Buddy, type ImppClient, type Watcher } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { ObserveController } from '../observe.js';
import { strings } from '../strings.js';
import { buddyListStyles } from './impp-buddy-list.styles.js';
import { renderAddForm, renderRequests, renderRow, rowId } from './buddy-render.js';
import { RowBuilder, type BuddyRow, type Row, type RowModel } from './buddy-rows.js';
import { RowWindow } from './row-window.js';

const NO_UNREAD: ReadonlyMap<string, number> = new Map();

/**
 * @summary The contact list: grouped, sorted by availability, filterable, windowed.
 *
 * @description Contacts are grouped by their first group and sorted by availability then name;
 * presence is shown by icon and text. Only the rows in view (and the active one) are in the DOM,
 * so 10,000 contacts scroll smoothly; each option carries `aria-setsize` and `aria-posinset`.
 * The list is a labelled listbox: ArrowUp/ArrowDown, PageUp/PageDown, Home/End move, Enter
 * selects. Pending subscription requests appear above it with Approve, Deny and Block buttons;
 * an "Add a contact" form sits below.
 *
 * @example
 * ```html
 * <impp-buddy-list @impp-select=${(e) => openChat(e.detail.address)}></impp-buddy-list>
 * ```
 *
 * @event {CustomEvent<ImppSelectDetail>} impp-select - The user chose a contact (click or Enter).
 * @event {CustomEvent<ImppWatcherDecisionDetail>} impp-watcher-decision - The user approved, denied or blocked a request.
 * @event {CustomEvent<ImppBuddyAddDetail>} impp-buddy-add - The user added a contact with the form.
 *
 * @csspart base - The wrapper.
 * @csspart filter - The filter input.
 * @csspart list - The scrolling listbox.
 * @csspart group - A group header.
 * @csspart buddy - A contact row (`active` too for the active one).
 * @csspart name - A contact's name.
 * @csspart note - A contact's status note.
 * @csspart presence - A contact's presence icon and label.
 * @csspart unread - The unread count badge.
 * @csspart requests - The subscription requests section.
 * @csspart request - One subscription request.
 * @csspart add - The add-contact disclosure.
 * @csspart add-address - The address input of the form.
 * @csspart add-name - The name input of the form.
 * @csspart add-button - The Add button.
 * @csspart empty - The "no contacts" message.
 *
 * @cssproperty --impp-buddy-list-height - Height of the component (default `28rem`).
 * @cssproperty --impp-buddy-list-row-height - Height of a contact row (default: two lines plus `--impp-space`).
 * @cssproperty --impp-buddy-list-group-height - Height of a group header (default: one line plus `--impp-space`).
 * @cssproperty --impp-color-accent - Active row and unread badge colour.
 * @cssproperty --impp-color-surface - Group header background.
 * @cssproperty --impp-space - Base spacing unit.
 */
export class ImppBuddyList extends ImppElement {
  static override styles = buddyListStyles;
  static override properties = {
    client: { attribute: false },
    filter: {},
    activeKey: { attribute: 'active-key' },
    addError: { state: true },
    addDone: { state: true },
    adding: { state: true },
  };

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  client: ImppClient | undefined;

  /** Text that filters contacts by name or address. */
  filter = '';

  /** Address id (`local@domain`) of the active contact. */
  activeKey: string | undefined;

  private addError: string | undefined;
  private addDone: string | undefined;
  private adding = false;

  get #listEl(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('#list') ?? null;
  }

  readonly #buddies = new ObserveController<readonly Buddy[]>(this, []);
  readonly #unread = new ObserveController<ReadonlyMap<string, number>>(this, NO_UNREAD);
  readonly #watchers = new ObserveController<readonly Watcher[]>(this, []);
  readonly #clientCtl = new ClientController(this, (client) => this.#bind(client));
  readonly #builder = new RowBuilder();
  // Estimates are the default theme's heights (15px text); the rendered rows are measured.
  readonly #rowWindow = new RowWindow<Row>(this, () => this.#listEl, ['.group', '.buddy'], [26.375, 46.0625],
    (row) => (row.kind === 'header' ? 0 : 1));
  #model: RowModel = { rows: [], buddyIndexes: [], indexByKey: new Map() };
  #modelInputs: readonly unknown[] = [];

  protected override willUpdate(): void {
    const inputs = [this.#buddies.value, this.#unread.value, this.filter, strings()];
    if (inputs.some((v, i) => v !== this.#modelInputs[i])) {
      const s = strings();
      this.#model = this.#builder.build(this.#buddies.value, this.#unread.value, this.filter, s.defaultGroup, s.locale);
      this.#modelInputs = inputs;
    }
  }

  protected override render() {
    const s = strings();
    const { rows, buddyIndexes } = this.#model;
    const activeIndex = this.activeKey === undefined ? undefined : this.#model.indexByKey.get(this.activeKey);
    const pending = this.#watchers.value.filter((w) => w.state === 'pending');
    const tops = this.#rowWindow.tops(rows);
    return html`<div part="base" class="base">
      ${renderRequests(pending, (w, d) => this.#decide(w, d))}
      <label class="sr-only" for="filter">${s.filterLabel}</label>
      <input id="filter" part="filter" type="search" placeholder=${s.filterPlaceholder} .value=${this.filter}
        aria-controls="list" @input=${this.#onFilter} @keydown=${this.#onFilterKey} />
      ${rows.length === 0
        ? html`<p part="empty" class="empty muted">${this.#buddies.value.length === 0 ? s.noContacts : s.noMatches}</p>`
        : html`<div id="list" part="list" class="list" role="listbox" tabindex="0" aria-label=${s.contactsLabel}
            aria-activedescendant=${activeIndex === undefined ? nothing : rowId(activeIndex)}
            @keydown=${this.#onListKey} @click=${this.#onListClick} @focus=${this.#onListFocus}>
            <div class="spacer" .style=${`block-size:${tops[rows.length]}px`}></div>
            ${this.#shown(activeIndex).map((i) => renderRow(rows[i]!, i, tops[i]!, this.activeKey, buddyIndexes.length))}
          </div>`}
      ${renderAddForm({ error: this.addError, done: this.addDone, busy: this.adding }, (e) => this.#onAdd(e))}
    </div>`;
  }

  /** Indexes of the rows to render: the window, plus the active row wherever it is (for `aria-activedescendant`). */
  #shown(active: number | undefined): number[] {
    const [start, end] = this.#rowWindow.range();
    const shown: number[] = [];
    if (active !== undefined && active < start) shown.push(active);
    for (let i = start; i < end; i++) shown.push(i);
    if (active !== undefined && active >= end) shown.push(active);
    return shown;
  }

  #bind(client: ImppClient): Subscription {
    this.#buddies.observe(client.buddies$);
    this.#unread.observe(client.unread$);
    this.#watchers.observe(client.watchers$);
    return new Subscription(() => {
      this.#buddies.observe(undefined);
      this.#unread.observe(undefined);
      this.#watchers.observe(undefined);
    });
  }

  #onFilter(e: Event): void {
    this.filter = (e.target as HTMLInputElement).value;
  }

  #onFilterKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' && this.#listEl) {
      e.preventDefault();
      this.#listEl.focus();
    }
  }

  #onListFocus(): void {
    const first = this.#model.buddyIndexes[0];
    if ((this.activeKey === undefined || !this.#model.indexByKey.has(this.activeKey)) && first !== undefined) {
      this.#activate(first);
    }
  }

  #onListKey(e: KeyboardEvent): void {
    const { rows, buddyIndexes, indexByKey } = this.#model;
    const last = buddyIndexes.length - 1;
    if (last < 0) return;
    const index = this.activeKey === undefined ? undefined : indexByKey.get(this.activeKey);
    const pos = index === undefined ? -1 : (rows[index] as BuddyRow).position - 1;
    const page = this.#rowWindow.perPage;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (index !== undefined) this.#select(rows[index] as BuddyRow);
      return;
    }
    // Position among the contacts the key moves to, clamped to the list below.
    const next = ({ ArrowDown: pos + 1, ArrowUp: pos - 1, PageDown: pos + page, PageUp: pos - page, Home: 0, End: last } as Record<string, number>)[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.#activate(buddyIndexes[Math.max(0, Math.min(next, last))]!);
  }

  #onListClick(e: MouseEvent): void {
    const option = (e.target as Element).closest<HTMLElement>('[role="option"]');
    const index = option?.dataset['key'] === undefined ? undefined : this.#model.indexByKey.get(option.dataset['key']);
    if (index === undefined) return;
    this.#activate(index);
    this.#select(this.#model.rows[index] as BuddyRow);
  }

  /** Makes a row active and scrolls it into view, with its group header when it is the first. */
  #activate(index: number): void {
    const row = this.#model.rows[index];
    if (row?.kind !== 'buddy') return;
    this.activeKey = row.key;
    this.#rowWindow.reveal(this.#model.rows[index - 1]?.kind === 'header' ? index - 1 : index, index);
  }

  #select(row: BuddyRow): void {
    emit(this, 'impp-select', { address: row.buddy.address });
  }

  #decide(watcher: Watcher, decision: 'approve' | 'deny' | 'block'): void {
    const client = this.#clientCtl.client;
    if (client === undefined) return;
    client[decision](watcher.address).catch((e: unknown) => console.warn('[impp-kit]', e));
    emit(this, 'impp-watcher-decision', { address: watcher.address, decision });
  }

  async #onAdd(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const client = this.#clientCtl.client;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get('address') ?? '');
    const name = String(data.get('name') ?? '').trim() || undefined;
    this.addDone = undefined;
    if (client === undefined) return;
    try {
      const address = parseAddress(text); // shows a readable ImppError message when invalid
      this.addError = undefined;
      this.adding = true;
      await client.addBuddy(address, name === undefined ? {} : { name });
      form.reset();
      this.addDone = strings().addedBuddy(name ?? address.id);
      emit(this, 'impp-buddy-add', name === undefined ? { address } : { address, name });
    } catch (error) {
      this.addError = error instanceof Error ? error.message : String(error);
      form.querySelector<HTMLInputElement>('#add-address')?.focus();
    } finally {
      this.adding = false;
    }
  }
}

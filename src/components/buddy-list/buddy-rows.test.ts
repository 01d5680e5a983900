import { expect } from '@open-wc/testing';
import { parseAddress, type Availability, type Buddy } from '../../core/index.js';
import { RowBuilder, type RowModel } from './buddy-rows.js';

function buddy(user: string, name: string, availability: Availability, groups: string[] = []): Buddy {
  const address = parseAddress(`${user}@example.com`);
  return { address, name, groups, subscription: 'both', pendingOut: false, presence: { entity: address, tuples: [], notes: [], availability } };
}
const NONE = new Map<string, number>();
const layout = (m: RowModel) => m.rows.map((r) => (r.kind === 'header' ? `[${r.group} ${r.count}]` : r.name));

describe('RowBuilder', () => {
  const ann = buddy('ann', 'Ann', 'offline', ['Work']);
  const bob = buddy('bob', 'bob', 'offline', ['Work']);
  const cy = buddy('cy', 'Cy 10', 'available');
  const cy2 = buddy('cy2', 'Cy 9', 'available');

  it('groups (default last), then sorts by availability and by collated name', () => {
    const m = new RowBuilder().build([cy, bob, cy2, ann], NONE, '', 'Contacts', 'en');
    expect(layout(m)).to.deep.equal(['[Work 2]', 'Ann', 'bob', '[Contacts 2]', 'Cy 9', 'Cy 10']);
    expect(m.buddyIndexes).to.deep.equal([1, 2, 4, 5]);
    expect(m.rows.flatMap((r) => (r.kind === 'buddy' ? [r.position] : []))).to.deep.equal([1, 2, 3, 4]);
    expect(m.indexByKey.get(cy.address.id)).to.equal(5);
  });

  it('keeps the order right across presence changes, renames, additions and removals (cached name order)', () => {
    const builder = new RowBuilder();
    builder.build([ann, bob], NONE, '', 'Contacts', 'en');
    const bobOnline = { ...bob, presence: { ...bob.presence, availability: 'available' as const } };
    expect(layout(builder.build([ann, bobOnline], NONE, '', 'Contacts', 'en'))).to.deep.equal(['[Work 2]', 'bob', 'Ann']);
    const annAsZoe = { ...ann, name: 'Zoe' };
    const bobAway = { ...bob, presence: { ...bob.presence, availability: 'away' as const } };
    expect(layout(builder.build([annAsZoe, bob], NONE, '', 'Contacts', 'en'))).to.deep.equal(['[Work 2]', 'bob', 'Zoe']);
    const dan = buddy('dan', 'Dan', 'offline', ['Work']);
    expect(layout(builder.build([annAsZoe, bobAway, dan], NONE, '', 'Contacts', 'en'))).to.deep.equal(['[Work 3]', 'bob', 'Dan', 'Zoe']);
    expect(layout(builder.build([dan], NONE, '', 'Contacts', 'en'))).to.deep.equal(['[Work 1]', 'Dan']);
  });

  it('filters by name or address and carries unread counts', () => {
    const unread = new Map([[bob.address.id, 3]]);
    const m = new RowBuilder().build([ann, bob, cy], unread, 'BO', 'Contacts', 'en');
    expect(layout(m)).to.deep.equal(['[Work 1]', 'bob']);
    expect(m.rows[1]!.kind === 'buddy' && m.rows[1]!.unread).to.equal(3);
    expect(layout(new RowBuilder().build([ann, bob, cy], NONE, 'cy@', 'Contacts', 'en'))).to.deep.equal(['[Contacts 1]', 'Cy 10']);
  });
});

import assert from 'node:assert/strict';
import { prefixCandidates, searchCandidates } from '../../../devtenant/graph/odata/search-index.js';
import { searchMatches, type SearchExpr } from '../../../devtenant/graph/odata/query.js';

interface Item {
  displayName?: string;
  userPrincipalName: string;
}

const FIRST = ['Ali', 'Alina', 'Bob', 'Natalie', 'Élodie', 'Zoë', 'Mary-Ann', "O'Brien", 'Li', 'Aliyah'];
const LAST = ['Smith', 'Alison', 'Wong', 'García', 'van der Berg', 'Ng', 'Kalinowski'];

function collection(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({
    displayName: i % 97 === 0 ? undefined : `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
    userPrincipalName: `${FIRST[(i * 3) % FIRST.length]!.toLowerCase().replace(/[^a-z]/g, '')}.${i}@contoso.example`,
  }));
}

const search = (...groups: [string, string][][]): SearchExpr => ({
  any: groups.map((g) => g.map(([prop, value]) => ({ prop, value }))),
});
const read = (prop: string) => (item: Item) => (item as unknown as Record<string, unknown>)[prop];
const scan = (items: Item[], expr: SearchExpr) =>
  items.filter((item) => searchMatches(expr, (prop) => read(prop)(item)));

/** The index narrows $search candidates on large collections; listCollection re-checks each with the real matcher. */
describe('devtenant Graph: $search word-prefix index', () => {
  it('yields every item the scan matches, in collection order, for word and value prefixes', () => {
    const items = collection(3000);
    for (const expr of [
      search([['displayName', 'ali']], [['userPrincipalName', 'ali']]),
      search([['displayName', 'ALI']]),
      search([['displayName', 'ann']]),
      search([['displayName', 'berg']]),
      search([['displayName', 'élo']]),
      search([['userPrincipalName', '12']]),
      search([
        ['displayName', 'li'],
        ['userPrincipalName', 'bob'],
      ]),
      search([['displayName', 'zzz']]),
    ]) {
      const candidates = searchCandidates(items, expr, read)!;
      assert.ok(candidates, 'narrowed');
      const expected = scan(items, expr);
      assert.deepEqual(scan(candidates, expr), expected, JSON.stringify(expr));
      assert.deepEqual(
        candidates,
        items.filter((i) => candidates.includes(i)),
        'collection order',
      );
    }
  });

  it('sees a value changed, an item added and a value removed after it was built', () => {
    const items = collection(3000);
    const expr = search([['displayName', 'quentin']]);
    assert.deepEqual(searchCandidates(items, expr, read), []);
    items[1234]!.displayName = 'Quentin Blake';
    items.push({ displayName: 'Quentina Other', userPrincipalName: 'q@contoso.example' });
    assert.deepEqual(
      scan(searchCandidates(items, expr, read)!, expr).map((i) => i.displayName),
      ['Quentin Blake', 'Quentina Other'],
    );
    items[1234]!.displayName = undefined;
    assert.deepEqual(
      scan(searchCandidates(items, expr, read)!, expr).map((i) => i.displayName),
      ['Quentina Other'],
    );
  });

  it(
    'narrows startswith filters to every item whose whole value starts with the prefix, any case, separators ' +
      'included',
    () => {
      const items = collection(3000);
      for (const prefix of ['a', 'ALI', 'mary-a', "o'b", 'élodie g', 'zz']) {
        const expected = items.filter(
          (i) => typeof i.displayName === 'string' && i.displayName.toLowerCase().startsWith(prefix.toLowerCase()),
        );
        const candidates = prefixCandidates(items, 'displayName', prefix, read)!;
        assert.deepEqual(
          candidates.filter((i) => i.displayName!.toLowerCase().startsWith(prefix.toLowerCase())),
          expected,
          prefix,
        );
      }
      assert.equal(prefixCandidates(collection(100), 'displayName', 'a', read), undefined);
    },
  );

  it('leaves small collections and terms with a separator to the plain scan', () => {
    assert.equal(searchCandidates(collection(100), search([['displayName', 'ali']]), read), undefined);
    assert.equal(searchCandidates(collection(3000), search([['displayName', 'mary-ann']]), read), undefined);
    assert.equal(searchCandidates(collection(3000), search([['displayName', '']]), read), undefined);
  });
});

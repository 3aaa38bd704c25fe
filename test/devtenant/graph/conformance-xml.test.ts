import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseXml, decodeXmlEntities, XmlSyntaxError } from '../../../devtenant/graph/csdl/xml.js';
import { parseSegment } from '../../../devtenant/graph/csdl/segments.js';

function events(xml: string): string[] {
  const out: string[] = [];
  parseXml(xml, {
    onOpen: (name, attrs) =>
      out.push(
        `<${name}${Object.entries(attrs)
          .map(([k, v]) => ` ${k}=${v}`)
          .join('')}>`,
      ),
    onClose: (name) => out.push(`</${name}>`),
    onText: (text) => out.push(`text:${text}`),
  });
  return out;
}

describe('CSDL XML tokenizer', () => {
  it('emits open/close events with decoded attributes, self-closing tags, and skips comments/PIs', () => {
    const xml =
      `<?xml version="1.0"?><!-- c --><a:Root x='1' y="a &amp; b &lt;c&gt; &quot;q&quot; &#65;&#x42;"><B/><C  z = ` +
      `"2" >hi &apos;there&apos;</C></a:Root>`;
    assert.deepEqual(events(xml), [
      '<a:Root x=1 y=a & b <c> "q" AB>',
      '<B>',
      '</B>',
      '<C z=2>',
      "text:hi 'there'",
      '</C>',
      '</a:Root>',
    ]);
  });

  it('passes CDATA through verbatim', () => {
    assert.deepEqual(events('<a><![CDATA[<not & parsed>]]></a>'), ['<a>', 'text:<not & parsed>', '</a>']);
  });

  const malformed: Array<[string, string]> = [
    ['<a><b></a>', 'mismatched end tag'],
    ['<a>', 'unclosed element'],
    ['<a x=1/>', 'unquoted attribute'],
    ['<a x="1" x="2"/>', 'duplicate attribute'],
    ['<a x="&bogus;"/>', 'unknown entity'],
    ['<!DOCTYPE a [<!ENTITY e "boom">]><a/>', 'DOCTYPE'],
    ['<a/><b/>', 'two roots'],
    ['<a x="<"/>', "'<' in attribute"],
    ['<a><!-- unterminated </a>', 'unterminated comment'],
    ['', 'no root'],
  ];
  for (const [xml, what] of malformed) {
    it(`rejects ${what}`, () => {
      assert.throws(
        () => events(xml),
        (e: unknown) => e instanceof XmlSyntaxError && e.code === 'XML_SYNTAX',
      );
    });
  }

  it('decodes only the predefined and numeric references', () => {
    assert.equal(decodeXmlEntities('x &#x1F600; y'), 'x \u{1F600} y');
    assert.throws(() => decodeXmlEntities('&nbsp;'), XmlSyntaxError);
    assert.throws(() => decodeXmlEntities('&#xZZ;'), XmlSyntaxError);
  });
});

describe('CSDL XML tokenizer and segment parser (properties)', () => {
  const escapeXml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

  it('round-trips any attribute value through escaping and decoding', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        let seen: string | undefined;
        parseXml(`<a v="${escapeXml(value)}"/>`, {
          onOpen: (_n, attrs) => {
            seen = attrs.v;
          },
          onClose: () => undefined,
        });
        return seen === value;
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips any OData string literal in a function segment (quotes doubled, '/' and ',' inside quotes kept)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (type, name) => {
        const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
        const segment = parseSegment(`getPolicyId(type=${q(type)},name=${q(name)})`);
        return (
          segment.name === 'getPolicyId' &&
          segment.args?.named.get('type') === type &&
          segment.args.named.get('name') === name
        );
      }),
      { numRuns: 300 },
    );
  });
});

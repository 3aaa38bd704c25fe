import assert from 'node:assert/strict';
import { needsAdvancedQuery, safeUserFilter } from '../../../bot/jobs/filter.js';
import { UsageError } from '../../../bot/errors.js';

describe('bulk --filter validation', () => {
  it('rebuilds filter expressions with every string literal escaped again', () => {
    assert.equal(safeUserFilter("department eq 'Sales'"), "department eq 'Sales'");
    assert.equal(safeUserFilter("surname eq 'O''Brien'"), "surname eq 'O''Brien'");
    assert.equal(
      safeUserFilter("  (department eq 'Sales' or department eq 'Ops') and accountEnabled eq true "),
      "(department eq 'Sales' or department eq 'Ops') and accountEnabled eq true",
    );
    assert.equal(safeUserFilter("startsWith(displayName,'Al')"), "startswith(displayName,'Al')");
    assert.equal(safeUserFilter("not (usageLocation eq 'FR')"), "not (usageLocation eq 'FR')");
    assert.equal(safeUserFilter('employeeHireDate ge 2024'), 'employeeHireDate ge 2024');
  });

  it('keeps a quote inside a literal inside it (no way to close the literal and add a clause)', () => {
    const rebuilt = safeUserFilter("displayName eq 'x'' or 1 eq 1 or ''y'");
    assert.equal(rebuilt, "displayName eq 'x'' or 1 eq 1 or ''y'");
  });

  it('refuses everything that is not a filter expression', () => {
    for (const bad of [
      '',
      "department eq 'x'&$top=1",
      "department eq 'x';drop",
      'department eq',
      "department 'x'",
      "department like 'x'",
      "department eq 'x' and",
      "(department eq 'x'",
      "department eq 'x')",
      "contains(displayName,'a')",
      "assignedLicenses/any(x:x/skuId eq 'a')",
      "department eq 'unterminated",
      '$filter=x eq 1',
      "eq eq 'x'",
      'a'.repeat(501) + " eq 'x'",
    ]) {
      assert.throws(() => safeUserFilter(bad), UsageError, bad);
    }
  });

  it('asks for an advanced query (ConsistencyLevel: eventual) only where Graph needs one', () => {
    assert.equal(needsAdvancedQuery(safeUserFilter("endswith(mail,'@contoso.com')")), true);
    assert.equal(needsAdvancedQuery(safeUserFilter("department ne 'Sales'")), true);
    assert.equal(needsAdvancedQuery(safeUserFilter("department eq 'Sales'")), false);
  });
});

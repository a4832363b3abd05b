/**
 * A double as Go's `fmt.Sprintf("%g", d)` writes it, which is what cel-go's `string(double)`
 * returns: the shortest digits that read back to the same value, in exponent form when the
 * decimal exponent is below -4 or at least 6 (`1e-07`, `1.234567e+06`), with a sign and at least
 * two exponent digits; `+Inf`, `-Inf`, `NaN`; and `-0` for negative zero.
 *
 *   formatDouble(1e-7)  // '1e-07'     (JavaScript: '1e-7')
 *   formatDouble(1e21)  // '1e+21'
 *   formatDouble(123456789) // '1.23456789e+08' (JavaScript: '123456789')
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return String(value);
}

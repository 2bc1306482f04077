/** Java's Date.toString() in the UTC zone: `Thu Jan 01 00:00:00 UTC 1970`. No Date object. */
const days = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Howard Hinnant's civil_from_days. */
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const two = (n: number): string => String(n).padStart(2, '0');

export function formatJavaDate(ms: number): string {
  const dayNumber = Math.floor(ms / 86_400_000);
  const inDay = ms - dayNumber * 86_400_000;
  const [y, m, d] = civilFromDays(dayNumber);
  const hh = Math.floor(inDay / 3_600_000);
  const mm = Math.floor((inDay % 3_600_000) / 60_000);
  const ss = Math.floor((inDay % 60_000) / 1000);
  const dow = days[((dayNumber % 7) + 7) % 7];
  return `${dow} ${months[m - 1]} ${two(d)} ${two(hh)}:${two(mm)}:${two(ss)} UTC ${y}`;
}

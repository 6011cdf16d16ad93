/** The DST note the API gives an occurrence (`dst`), in words, or null. */
export function dstNote(item: { dst?: string | null }): string | null {
  if (item.dst === 'gap_shifted')
    return 'DST: this local time did not exist that day (clocks went forward); it runs later by the gap';
  if (item.dst === 'first_of_two')
    return 'DST: this local time happened twice that day (clocks went back); it runs at the first';
  return item.dst ? `DST: ${item.dst}` : null;
}

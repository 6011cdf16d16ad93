/** The IANA zones an operator may pick (the browser's list), with the service's and UTC first. */
export function zoneChoices(serviceZone: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([serviceZone, 'UTC', ...all])];
}

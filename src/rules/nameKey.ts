/**
 * A rule name's key: what makes two names the same name. Unicode NFC, then lower case (full
 * Unicode case mapping, not ASCII only), accents kept: "Lobby Patrol" and "lobby patrol" are one
 * name, "Ñandú" and "ñandú" too, "Nandu" another. The store keeps it in an indexed column, so
 * uniqueness and `?name=` search mean the same on every database, whatever its collation.
 */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase().normalize('NFC');

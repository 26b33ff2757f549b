// A libpq multi-host URL (`postgres://u@h1:p1,h2:p2/db?target_session_attrs=read-write`), which
// node-postgres does not read: split into one single-host URL per host, in the order given.

/** The hosts of a multi-host URL, each as a URL node-postgres can open, and what they must be. */
export interface HostList {
  /** `host:port` of each, for messages. */
  readonly names: readonly string[];
  /** One URL per host, the rest of the URL (user, database, parameters) unchanged. */
  readonly urls: readonly string[];
}

/** The values of target_session_attrs under which Ingot can write: it must find the primary. */
const WRITABLE_ATTRIBUTES = new Set(['read-write', 'primary']);
const OTHER_ATTRIBUTES = new Set(['any', 'read-only', 'standby', 'prefer-standby']);
const DEFAULT_PORT = '5432';

/**
 * The hosts of `url` when it names several or asks for the writable one (target_session_attrs);
 * null for a plain single-host URL, which node-postgres opens as it is. Throws on an attribute
 * under which the books could not be written.
 */
export function parseHosts(url: string): HostList | null {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]*)(.*)$/.exec(url);
  if (!match) return null;
  const [, scheme = '', user = '', hostList = '', rest = ''] = match;
  const queryStart = rest.indexOf('?');
  const path = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : rest.slice(queryStart + 1));
  const attributes = query.get('target_session_attrs');
  const hosts = hostList.split(',');
  if (hosts.length < 2 && attributes === null) return null;
  if (attributes !== null && !WRITABLE_ATTRIBUTES.has(attributes)) {
    const known = OTHER_ATTRIBUTES.has(attributes) ? 'the books must be written' : 'it is not a libpq value';
    throw new Error(`target_session_attrs=${attributes} cannot be used: ${known} (use read-write)`);
  }
  query.delete('target_session_attrs');
  const parameters = query.toString();
  const tail = `${path}${parameters === '' ? '' : `?${parameters}`}`;
  const names = hosts.map((host) => {
    if (host === '') throw new Error(`a host is missing in the list "${hostList}"`);
    return /:\d+$/.test(host) ? host : `${host}:${DEFAULT_PORT}`;
  });
  return { names, urls: names.map((name) => `${scheme}${user}${name}${tail}`) };
}

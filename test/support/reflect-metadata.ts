// The small part of the Reflect metadata API that @peculiar/x509's dependency injection
// (tsyringe) needs at load time. The project installs no polyfill package (reflect-metadata)
// for one test helper; this is imported before @peculiar/x509 and is never part of the app.
type Metadata = Map<unknown, unknown>;
const store = new WeakMap<object, Map<PropertyKey | undefined, Metadata>>();

function own(target: object, property: PropertyKey | undefined, create: boolean): Metadata | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) store.set(target, (byProperty = new Map()));
  let metadata = byProperty?.get(property);
  if (!metadata && create && byProperty) byProperty.set(property, (metadata = new Map()));
  return metadata;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  const getOwnMetadata = (key: unknown, target: object, property?: PropertyKey) => own(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: object, property?: PropertyKey): unknown => {
    for (let at: object | null = target; at !== null; at = Object.getPrototypeOf(at) as object | null) {
      const found = own(at, property, false);
      if (found?.has(key)) return found.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: object, property?: PropertyKey) => {
    own(target, property, true)!.set(key, value);
  };
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: object, property?: PropertyKey) => getMetadata(key, target, property) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: object, property?: PropertyKey) => defineMetadata(key, value, target, property),
  });
}

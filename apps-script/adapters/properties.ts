// PropertyStore over PropertiesService: document properties hold the add-on's state for every user
// of the document. Reads are whole (one call); writes set and delete only the keys that changed.

import type { PropertyStore } from '../core/ports';

export function propertyStore(props: GoogleAppsScript.Properties.Properties): PropertyStore {
  return {
    getAll: () => props.getProperties(),
    get: (key) => props.getProperty(key),
    write(set, remove) {
      if (Object.keys(set).length) props.setProperties(set);
      for (const key of remove) props.deleteProperty(key);
    },
  };
}

/** The document's store; undefined outside a document (getDocumentProperties() gives null there). */
export function documentStore(): PropertyStore | undefined {
  const props = PropertiesService.getDocumentProperties() as GoogleAppsScript.Properties.Properties | null;
  return props ? propertyStore(props) : undefined;
}

/** This user's store (per user and script). */
export const userStore = (): PropertyStore => propertyStore(PropertiesService.getUserProperties());

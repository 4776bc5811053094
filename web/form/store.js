// Autosave: one entry per exercise in this browser's localStorage. It may be
// unavailable (private windows, blocked storage); the form then says so and
// carries on, since downloading is always possible.

const PREFIX = "workbook-form:v1:";

export function storeFor(exercise, storage = globalThis.localStorage) {
  const key = PREFIX + exercise;
  return {
    load() {
      try {
        const saved = JSON.parse(storage.getItem(key) ?? "null");
        return saved && typeof saved === "object" && saved.data && typeof saved.data === "object" &&
          !Array.isArray(saved.data) ? saved : null;
      } catch {
        return null;
      }
    },
    save(entry) {
      try {
        storage.setItem(key, JSON.stringify(entry));
        return true;
      } catch {
        return false;
      }
    },
    clear() {
      try {
        storage.removeItem(key);
      } catch {
        // nothing saved, nothing to clear
      }
    },
  };
}

// Autosave: one entry per exercise in this browser's localStorage. It may be
// unavailable (private windows, blocked storage); the form then says so and
// carries on, since downloading is always possible.
//
// An entry the form cannot use (damaged, or far bigger than any worksheet: see
// bounds.js) is set aside under a key of its own, exactly as it was stored, so
// that autosave never writes over it: the learner downloads it or deletes it.

const PREFIX = "workbook-form:v1:";
const ASIDE = ":set-aside";

export function readEntry(text) {
  try {
    const saved = JSON.parse(text ?? "null");
    return saved && typeof saved === "object" && saved.data && typeof saved.data === "object" &&
      !Array.isArray(saved.data) ? saved : null;
  } catch {
    return null; // damaged JSON, or nested too deep for the parser
  }
}

export function storeFor(exercise, storage = globalThis.localStorage) {
  const key = PREFIX + exercise;
  const get = (name) => {
    try {
      return storage.getItem(name);
    } catch {
      return null;
    }
  };
  return {
    // The saved entry, null when there is none; {unreadable: text} when there is one
    // that cannot be read back.
    load() {
      const text = get(key);
      if (text === null) return null;
      return readEntry(text) ?? { unreadable: text };
    },
    raw() {
      return get(key);
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
    // Move the saved entry, as stored, to the set-aside key. False if the browser
    // refused; the entry is then where it was.
    setAside() {
      const text = get(key);
      if (text === null) return true;
      try {
        storage.removeItem(key); // first: two copies of a large entry may not fit
        storage.setItem(key + ASIDE, text);
        return true;
      } catch {
        try {
          storage.setItem(key, text);
        } catch {
          // storage refuses writes altogether; nothing more to do
        }
        return false;
      }
    },
    setAsideText() {
      return get(key + ASIDE);
    },
    clearSetAside() {
      try {
        storage.removeItem(key + ASIDE);
      } catch {
        // nothing set aside
      }
    },
  };
}

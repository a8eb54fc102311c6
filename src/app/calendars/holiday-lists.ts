/**
 * The countries and regions `date-holidays` knows (ADR 0009): what a calendar's `holidays` may
 * name. Loaded on first use (the package's data is ~100 ms to import) and kept.
 */
type Lists = { countries: Record<string, string>; regions: (country: string) => Record<string, string> };

let loading: Promise<Lists> | undefined;

export function holidayLists(): Promise<Lists> {
  loading ??= import("date-holidays").then(({ default: Holidays }) => {
    const h = new Holidays();
    const countries = h.getCountries("en");
    const regions = new Map<string, Record<string, string>>();
    return {
      countries,
      regions: (country) => {
        let r = regions.get(country);
        if (!r) {
          r = h.getStates(country, "en") ?? {};
          regions.set(country, r);
        }
        return r;
      },
    };
  });
  return loading;
}

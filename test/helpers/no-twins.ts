// Fails every test in which a Figma fake file got a twin collection (a second local collection of a
// name, test/fakes/figma/fake-variables.ts): the bug of issue 10 must be a test failure everywhere.
import { takeTwins } from '../fakes/figma/fake-variables';

afterEach(() => {
  const twins = takeTwins();
  if (twins.length > 0) {
    throw new Error(`The Figma fake got a twin collection (a second local collection of the same name): ${twins.map((t) => `"${t.name}" (${t.by})`).join(', ')}. The sync must adopt or refuse, never make a twin.`);
  }
});

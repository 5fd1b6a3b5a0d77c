// Authorization is per user, not per document: one collaborator needing to approve the add-on
// again is told so in their own sidebar, and no other collaborator's push clears it. Connect and
// Sync now check every scope first, so a scope left unticked on Google's granular consent screen
// gets advice, not a raw permission error halfway through.

import { connectedWorld, EDITOR, OWNER, sidebarState, thrown } from '../fakes/apps-script/harness';
import { SCOPES } from '../fakes/apps-script/run-addon';
import { useHarness } from '../fakes/apps-script/use-harness';

describe('authorization, per user', () => {
  const h = useHarness();

  it('one user’s re-authorize banner is not cleared by another user’s push', async () => {
    const { world } = await connectedWorld(h);
    world.run(EDITOR, 'connect', [h.gate.url]);
    world.resetCounters();
    world.needsAuthorization.add(OWNER);
    // The owner's trigger stops (and says so); the editor's trigger sends the edit.
    expect(world.edit(EDITOR, 'Colors', 'B2', [['#abcdef']])).toEqual([]);
    expect(world.fetches.filter((f) => f.method === 'post').map((f) => f.status)).toEqual([200]);
    const owner = sidebarState(world, OWNER);
    expect([owner.status.kind, owner.reauthorizeUrl]).toEqual(['reauthorize', `https://script.google.com/macros/d/fake-addon/authorize?user=${encodeURIComponent(OWNER)}`]);
    // The editor is live, and told that a collaborator's triggers wait for approval.
    const editor = sidebarState(world, EDITOR);
    expect([editor.status.kind, editor.reauthorizeUrl, editor.othersNeedReauthorization]).toEqual(['live', undefined, 1]);
    // Once the owner approved again, their next execution clears it.
    world.needsAuthorization.delete(OWNER);
    world.edit(OWNER, 'Colors', 'B3', [['#fedcba']]);
    expect([sidebarState(world, OWNER).status.kind, sidebarState(world, EDITOR).othersNeedReauthorization]).toEqual(['live', 0]);
  });

  it('Connect with a scope left unticked says which approval is missing, and sends nothing', () => {
    const world = h.world();
    world.ungrantedScopes.set(OWNER, new Set([SCOPES.externalRequest]));
    const err = thrown(() => world.run(OWNER, 'connect', [h.gate.url]));
    expect(err.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(err.message).toContain('tick every permission');
    expect(err.message).toContain(`https://script.google.com/macros/d/fake-addon/authorize?user=${encodeURIComponent(OWNER)}`);
    expect([world.fetches, world.triggers]).toEqual([[], []]);
  });

  it('Sync now with a scope left unticked gives the same advice', async () => {
    const { world } = await connectedWorld(h);
    world.ungrantedScopes.set(OWNER, new Set([SCOPES.scriptApp]));
    const err = thrown(() => world.run(OWNER, 'syncNow'));
    expect([err.code, world.fetches]).toEqual(['REAUTHORIZATION_REQUIRED', []]);
    expect(world.executions.at(-1)!.error).toContain('tick every permission');
  });
});

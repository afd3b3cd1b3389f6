/** The groups the significance service compares: each group's finished members' test accuracies and test sets. */
import type { GroupDetail } from '@shared/group'
import { testSetOf } from '@shared/same-test-set'
import type { GroupSample } from './compare-significance'
import type { GroupSource } from './significance-service'

/** A group's side of a comparison: only finished members have a test accuracy; the rest are not yet evidence either way. */
export function groupSampleOf(group: GroupDetail): GroupSample {
  const finished = group.members.filter((m) => m.metrics)
  return {
    id: group.id,
    label: `group g${group.id} ${group.name}`,
    memberAccuracies: finished.map((m) => m.metrics!.testAccuracy),
    testSets: finished.map(testSetOf)
  }
}

/** Reads groups through the group service; unknown ids fail there with not_found. */
export function groupSourceOf(groups: { getGroup(id: number): Promise<GroupDetail> }): GroupSource {
  return { sample: async (groupId) => groupSampleOf(await groups.getGroup(groupId)) }
}

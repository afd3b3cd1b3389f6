/** The groups the significance service compares: each group's finished members' test accuracies. */
import type { GroupDetail } from '@shared/group'
import type { GroupSource } from './significance-service'

/** Reads groups through the group service; unknown ids fail there with not_found. */
export function groupSourceOf(groups: { getGroup(id: number): GroupDetail }): GroupSource {
  return {
    sample(groupId) {
      const group = groups.getGroup(groupId)
      return {
        id: group.id,
        label: `group g${group.id} ${group.name}`,
        // Only finished members have a test accuracy; the rest are not yet evidence either way.
        memberAccuracies: group.members.flatMap((m) => (m.metrics ? [m.metrics.testAccuracy] : []))
      }
    }
  }
}

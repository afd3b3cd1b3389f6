/** API channels of seed-repeat groups and sweeps, spread into the core's handler table. */
import type { ApiHandlers } from './api-router'
import type { GroupService } from '../runs/group-service'

type GroupChannels =
  'runs.startRepeats' | 'runs.repeat' | 'groups.list' | 'groups.get' | 'groups.getMany' | 'sweeps.start' | 'sweeps.list' | 'sweeps.get'

export function createGroupHandlers(groups: GroupService): Pick<ApiHandlers, GroupChannels> {
  return {
    'runs.startRepeats': ({ hparams, name, repeats, where }) => groups.startRepeats(hparams, repeats, name, where),
    'runs.repeat': ({ id, repeats }) => groups.repeatRun(id, repeats),
    'groups.list': () => groups.listGroups(),
    'groups.get': ({ id }) => groups.getGroup(id),
    'groups.getMany': ({ ids }) => groups.getGroups(ids),
    'sweeps.start': ({ spec, name, where }) => groups.startSweep(spec, name, where),
    'sweeps.list': () => groups.listSweeps(),
    'sweeps.get': ({ id }) => groups.getSweep(id)
  }
}

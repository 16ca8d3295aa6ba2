/**
 * Grouping Accuracy (Zhu et al., ICSE'19): a line counts as correct only when the set of lines the parser put in
 * its group is exactly the set of lines sharing its true event id.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) {
    throw new Error(`groupingAccuracy: ${predicted.length} predictions for ${truth.length} labelled lines`);
  }
  if (truth.length === 0) {
    return 0;
  }
  const truthSizes = countBy(truth);
  const groups = new Map<string, number[]>();
  predicted.forEach((group, line) => {
    const members = groups.get(group);
    if (members === undefined) {
      groups.set(group, [line]);
    } else {
      members.push(line);
    }
  });
  let correct = 0;
  for (const members of groups.values()) {
    const event = truth[members[0] ?? 0];
    if (event !== undefined && members.every((line) => truth[line] === event) && truthSizes.get(event) === members.length) {
      correct += members.length;
    }
  }
  return correct / truth.length;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

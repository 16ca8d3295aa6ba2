import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findHeader } from './header.ts';

const message = (line: string) => line.slice(findHeader(line).messageStart);

test('recognises timestamps, levels and components in formats it was never told about', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating', 'PacketResponder 1 terminating', 'INFO'],
    ['[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok', 'workerEnv.init() ok', 'notice'],
    ['2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.Foo: Created thing', 'Created thing', 'INFO'],
    ['2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200', 'Notification time out: 3200', 'WARN'],
    ['[10.30 16:49:06] chrome.exe *64 - proxy.example.com:5070 open through proxy', 'proxy.example.com:5070 open through proxy', undefined],
    ['Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster', 'Invalid user webmaster', undefined],
    ['2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack', 'CBS    Loaded Servicing Stack', 'Info'],
    ['03-17 16:13:38.811  1702  2395 D WindowManager: window opened', 'WindowManager: window opened', 'D'],
  ];
  for (const [line, expected, level] of cases) {
    assert.equal(message(line), expected, line);
    assert.equal(findHeader(line).level, level, line);
  }
});

test('a plain message keeps every word, and a lowercase word is not a level unless set apart', () => {
  assert.equal(message('error while reading the config'), 'error while reading the config');
  assert.equal(findHeader('error while reading the config').level, undefined);
  assert.equal(findHeader('[error] while reading').level, 'error');
  assert.equal(findHeader('').messageStart, 0);
});

test('a bare timestamp before the message is reported, so the miner keeps one value in its place', () => {
  const header = findHeader('- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed');
  assert.equal(header.timestamped, true);
  assert.equal(message('- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed'), 'session closed');
});

// Test-only safety net, preloaded *before* the lab's preload: if any connection still targets
// 169.254.169.254 after the lab's redirect (it must not), it is refused here, before a packet
// leaves, and the attempt is written to MILAB_TEST_IMDS_GUARD_LOG for the test to fail on.
// It only compares the address; it never connects to it.
const net = require('node:net');
const fs = require('node:fs');

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const host = typeof first === 'object' && first !== null ? first.host : args[1];
  if (host === '169.254.169.254') {
    if (process.env.MILAB_TEST_IMDS_GUARD_LOG) {
      fs.appendFileSync(process.env.MILAB_TEST_IMDS_GUARD_LOG, `blocked a connection to ${host}\n`);
    }
    process.nextTick(() =>
      this.destroy(Object.assign(new Error('connect ENETUNREACH 169.254.169.254:80 (blocked by the test guard)'), { code: 'ENETUNREACH' })),
    );
    return this;
  }
  return original.apply(this, args);
};

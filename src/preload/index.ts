// What `milab env` preloads into an app (NODE_OPTIONS=--require dist/preload.js): the lab's service
// host names resolve to loopback; on "your machine", IMDS's address leads to the lab's absent IMDS.
import './resolveLabHosts';
import './absentImds';

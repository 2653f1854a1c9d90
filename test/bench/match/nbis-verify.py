#!/usr/bin/python3
"""Times NBIS verifications (mindtct on the live image + bozorth3 against an enrolled print) through
Debian's libfprint `virtual_image` driver, the way ../shared/tools/nbis/fpbench.py drives it, but
timing each verification on its own (enrolment is not timed).

usage: nbis-verify.py < pairs.txt      each line: ENROL_TIF LIVE_TIF
prints: one line per pair, 'VERIFY <wall ms> <cpu ms> <score>' (score -1 when libfprint gave none;
cpu = this process's CPU time, all threads: what a loaded machine does not inflate), then 'DONE'.
Needs: libfprint-2-2 gir1.2-fprint-2.0 python3-gi python3-pil. Run with G_MESSAGES_DEBUG=libfprint-print
so that libfprint logs the bozorth3 score ('score N/40').
"""
import os, sys, socket, struct, tempfile, time, threading, re, io
import gi
gi.require_version('FPrint', '2.0')
from gi.repository import FPrint, GLib
from PIL import Image

tmp = tempfile.mkdtemp(prefix='nbis-verify-')
sock = os.path.join(tmp, 'vi.sock')
os.environ['FP_VIRTUAL_IMAGE'] = sock
ctx = GLib.main_context_default()

# libfprint logs the score through GLib's log handler on stderr; capture it per verification
last_score = [None]
def handler(domain, level, message, _):
    m = re.search(r'score (-?\d+)/', message)
    if m:
        last_score[0] = int(m.group(1))
GLib.log_set_handler('libfprint-print', GLib.LogLevelFlags.LEVEL_DEBUG, handler, None)

def load(path):
    im = Image.open(path).convert('L')
    return struct.pack('ii', im.size[0], im.size[1]) + im.tobytes()

fctx = FPrint.Context()
dev = [d for d in fctx.get_devices() if d.get_driver() == 'virtual_image'][0]
dev.open_sync()
con = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
con.connect(sock)
con.setblocking(False)

def send(data):
    view = memoryview(data)
    while len(view):
        try:
            n = con.send(view)
            view = view[n:]
        except BlockingIOError:
            ctx.iteration(False) or time.sleep(0.0005)

def pump(cond, timeout=30):
    t0 = time.time()
    while not cond():
        ctx.iteration(False) or time.sleep(0.0002)
        if time.time() - t0 > timeout:
            return False
    return True

def enroll(data):
    st = {'step': 0, 'retries': 0, 'done': None, 'err': None, 'ev': 0}
    def progress(d, step, fp, ud, err=None):
        st['ev'] += 1
        if err is not None:
            st['retries'] += 1
        st['step'] = step
    def done(d, res):
        try:
            st['done'] = d.enroll_finish(res)
        except GLib.Error as e:
            st['err'] = e
    dev.enroll(FPrint.Print.new(dev), None, progress, tuple(), done)
    for _ in range(12):
        if st['done'] is not None or st['err'] is not None:
            break
        ev = st['ev']
        send(data)
        pump(lambda: st['ev'] > ev or st['done'] is not None or st['err'] is not None)
        if st['retries'] >= 3:
            break
        if st['step'] >= dev.get_nr_enroll_stages():
            pump(lambda: st['done'] is not None or st['err'] is not None)
            break
    if st['done'] is None:
        send(struct.pack('ii', -2, int(FPrint.DeviceError.GENERAL)))
        pump(lambda: st['done'] is not None or st['err'] is not None)
        return None
    return st['done']

for line in sys.stdin:
    parts = line.split()
    if len(parts) != 2:
        continue
    fp = enroll(load(parts[0]))
    live = load(parts[1])  # decoded before timing: the daemon also gets pixels, not a file
    if fp is None:
        print('FTE %s' % parts[0], flush=True)
        continue
    r = {}
    def vcb(d, res):
        try:
            r['m'], r['fp'] = d.verify_finish(res)
        except GLib.Error as e:
            r['e'] = e
    last_score[0] = None
    t0 = time.perf_counter()
    c0 = time.process_time()
    dev.verify(fp, callback=vcb)
    send(live)
    pump(lambda: r)
    ms = (time.perf_counter() - t0) * 1000
    cpu = (time.process_time() - c0) * 1000
    print('VERIFY %.3f %.3f %d' % (ms, cpu, -1 if last_score[0] is None else last_score[0]), flush=True)
print('DONE', flush=True)
con.close()
dev.close_sync()

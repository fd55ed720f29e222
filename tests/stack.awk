# tests/stack.awk: the worst-case stack of functions, from a GCC call graph
# (-fcallgraph-info=su, VCG format). Prints "NAME BYTES FLAGS" for every
# root: each function of external linkage named bh_ (not bh__), and each
# static function named in -v extra="name name ...". BYTES is the largest
# sum of frames along any call path from the root through functions of
# this file; FLAGS (comma-separated, "-" for none) notes what the sum
# cannot see: "indirect" (a call through a pointer), "external" (a call to
# a function of another library, other than the small string.h leaves and
# the compiler's arithmetic helpers),
# "recursion", "dynamic" (a frame whose size depends on the input).
function frame(t) { return (t in size) ? size[t] : 0 }
function walk(t,    i, n, best, s, tt) {
    if (t in memo) return memo[t]
    if (t in active) { flag[root] = flag[root] " recursion"; return 0 }
    if (!(t in size)) {                     # not ours: an external function
        if (t == "__indirect_call") note(" indirect")
        else if (!(t in leaf) && t !~ /^__(aeabi_|u?div|u?mod)/) note(" external")
        return 0
    }
    if (dyn[t]) note(" dynamic")
    active[t] = 1
    best = 0
    n = nout[t]
    for (i = 1; i <= n; i++) {
        tt = out[t, i]
        s = walk(tt)
        if (s > best) best = s
    }
    delete active[t]
    memo[t] = frame(t) + best
    return memo[t]
}
function note(f) { if (index(flag[root], f) == 0) flag[root] = flag[root] f }
BEGIN {
    n = split("memcpy memset memcmp memmove memchr strlen strchr strrchr", l, " ")
    for (i = 1; i <= n; i++) leaf[l[i]] = 1
}
/^node:/ {
    title = $0; sub(/.*title: "/, "", title); sub(/".*/, "", title)
    if (match($0, /[0-9]+ bytes \(/)) {
        b = substr($0, RSTART, RLENGTH); sub(/ .*/, "", b)
        size[title] = b + 0
        dyn[title] = ($0 ~ /bytes \(dynamic\)/)
    }
    next
}
/^edge:/ {
    s = $0; sub(/.*sourcename: "/, "", s); sub(/".*/, "", s)
    t = $0; sub(/.*targetname: "/, "", t); sub(/".*/, "", t)
    out[s, ++nout[s]] = t
    next
}
END {
    n = split(extra, ex, " ")
    for (i = 1; i <= n; i++) want[ex[i]] = 1
    for (t in size) {
        name = t; sub(/^.*:/, "", name)
        if (t ~ /^bh_/ && t !~ /^bh__/) roots[t] = 1
        if (name in want) roots[t] = 1
    }
    for (t in roots) {
        root = t
        flag[root] = ""
        for (k in memo) delete memo[k]
        v = walk(t)
        name = t; sub(/^.*:/, "", name)
        f = substr(flag[root], 2); gsub(/ /, ",", f)
        print name, v, (f == "" ? "-" : f)
    }
}

-- wrk script for bench/bench_listen.sh: POSTs signed Blue deliveries, one
-- after the other from a file of "hex-signature<TAB>body" lines (distinct
-- record ids, so a receiver's replay cache sees every one as new).
local reqs = {}
local i = 0

function init(args)
    for line in io.lines(args[1]) do
        local sig, body = line:match("^(%x+)\t(.*)$")
        reqs[#reqs + 1] = wrk.format("POST", "/hooks/blue", {
            ["Content-Type"] = "application/json",
            ["X-Signature"] = sig,
        }, body)
    end
end

function request()
    i = i % #reqs + 1
    return reqs[i]
end

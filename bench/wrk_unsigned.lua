-- wrk script for bench/bench_listen.sh's ceiling: an unsigned POST, which a
-- receiver refuses (401) at the signature header lookup, keeping the
-- connection: the round trip with next to no work.
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"

-- wrk script: POST the file $BODY with Content-Type $CT.
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("CT")
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = f:read("*a")
f:close()

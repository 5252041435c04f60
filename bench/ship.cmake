# SPDX-License-Identifier: MIT
# bench_ship: full-transfer throughput against scp, and redeploy bytes against the classic
# `docker save | gzip | ssh docker load`, on a throwaway sshd on 127.0.0.1 (see bench/ship/).
add_custom_target(bench_ship
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/ship/bench-ship.sh $<TARGET_FILE:gantry>
    DEPENDS gantry
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    USES_TERMINAL
    COMMENT "Benchmark: gantry ship vs scp and docker save | gzip | ssh docker load")

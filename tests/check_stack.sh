# Stack: no public function may need more than 1 KB of stack (its own
# frames and those it calls, from gcc's call graph) on Cortex-M4 -Os, x86-64
# -Os or x86-64 -O2, but for the known misses in tests/stack_over_budget.txt,
# which may not grow. `make size` prints the whole table.
. tests/lib.sh
if ! have gcc; then skip "stack" "gcc not installed"; exit 0; fi
if ! have arm-none-eabi-gcc; then
    skip "stack/m4" "arm-none-eabi-gcc not installed (gcc-arm-none-eabi libnewlib-arm-none-eabi)"
fi
tests/size.sh --check-stack

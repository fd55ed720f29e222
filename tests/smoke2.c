/* tests/smoke2.c: the second file of the two-file builds. With extern
   linkage it sees declarations only; under BLUEHOOK_STATIC it has its own
   static copy of the implementation. */
#ifdef BLUEHOOK_STATIC
#define BLUEHOOK_IMPLEMENTATION
#endif
#include "../bluehook.h"

int smoke_second_unit(void);

int smoke_second_unit(void)
{
    uint8_t d[32];
    bh_sha256("abc", 3, d);
    return d[0] == 0xba && d[31] == 0xad;
}

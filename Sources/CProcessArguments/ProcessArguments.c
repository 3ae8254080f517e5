#include "CProcessArguments.h"

static int saved_argc;
static char *const *saved_argv;

// glibc calls the executable's init_array functions with (argc, argv, envp).
__attribute__((constructor)) static void herald_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    saved_argc = argc;
    saved_argv = argv;
}

int herald_process_argc(void) { return saved_argc; }
char *const *herald_process_argv(void) { return saved_argv; }

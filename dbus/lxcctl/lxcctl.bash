# bash completion for lxcctl: commands, their options, container names (from lxcd, or
# with --user from the user's own lxcd), LXC states for `wait`, and lxc.group names for
# `autostart --groups`.

_lxcctl_containers() {
    lxcctl ${_lxcctl_user:+"$_lxcctl_user"} list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_lxcctl_groups() {
    local f dir=/var/lib/lxc
    if [ -n "$_lxcctl_user" ]; then
        dir=$HOME/.local/share/lxc
    fi
    for f in "$dir"/*/config; do
        [ -e "$f" ] && lxcctl config get "$f" lxc.group 2>/dev/null
    done | tr ',' '\n' | sort -u
}

_lxcctl() {
    local COMP_WORDS=("${COMP_WORDS[@]}") COMP_CWORD=$COMP_CWORD _lxcctl_user=""
    # lxcctl --user COMMAND: as without, for the user's own lxcd.
    if [ "${COMP_WORDS[1]:-}" = --user ] && ((COMP_CWORD > 1)); then
        _lxcctl_user=--user
        COMP_WORDS=("${COMP_WORDS[0]}" "${COMP_WORDS[@]:2}")
        ((COMP_CWORD--))
    fi
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd=${COMP_WORDS[1]} words=""
    if ((COMP_CWORD == 1)); then
        words="config console autostart list info create destroy copy snapshot start stop
               reboot kill freeze thaw wait attach monitor --user"
    else
        case $cmd:$prev in
        create:--template) words="busybox none" ;;
        autostart:--groups) words=$(_lxcctl_groups) ;;
        *:--output) words="table json" ;;
        *)
            case $cmd in
            config) ((COMP_CWORD == 2)) && words="check show get" ||
                mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
            list) words="--fancy --output" ;;
            create) words="--template --config" ;;
            autostart) words="--groups --all --ignore-auto --list --shutdown --kill --timeout --boot" ;;
            attach) ((COMP_CWORD == 2)) && words=$(_lxcctl_containers) ;;
            wait) ((COMP_CWORD == 3)) &&
                words="STOPPED STARTING RUNNING STOPPING ABORTING FREEZING FROZEN THAWED" ||
                words="--timeout $(_lxcctl_containers)" ;;
            monitor) words=$(_lxcctl_containers) ;;
            copy) ((COMP_CWORD == 2)) && words=$(_lxcctl_containers) ||
                words="--snapshot --ephemeral --lxcpath" ;;
            snapshot) ((COMP_CWORD == 2)) && words=$(_lxcctl_containers) ||
                words="--list --restore --destroy --output" ;;
            start) words="--follow $(_lxcctl_containers)" ;;
            stop) words="--kill --timeout --if-running $(_lxcctl_containers)" ;;
            console) words="--log --clear --rotate $(_lxcctl_containers)" ;;
            info) words="--output $(_lxcctl_containers)" ;;
            *) ((COMP_CWORD == 2)) && words=$(_lxcctl_containers) ;;
            esac
            ;;
        esac
    fi
    [ -n "$words" ] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return 0
}

complete -F _lxcctl lxcctl

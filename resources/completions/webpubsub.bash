# bash completion for webpubsub (installed as share/bash-completion/completions/webpubsub).
# The command and option lists mirror `webpubsub help`; tests/installer fails when they drift apart.

_webpubsub()
{
    local cur prev words cword
    _init_completion || return

    local commands="send-to-all send-to-user send-to-group send-to-connection add-connection-to-group
        remove-connection-from-group remove-connection-from-all-groups add-user-to-group remove-user-from-group
        remove-user-from-all-groups add-to-groups remove-from-groups connection-exists user-exists group-exists
        close-connection close-all close-group close-user grant revoke check token list-group-connections
        health listen trace help"
    local options="--endpoint --help --version --connection-string --hub --json --timeout --retries --text
        --json-body --binary-file --content-type --excluded --filter --ttl --user --group --connection --reason
        --permission --target --role --minutes --client-type --local --maxpagesize --top --protocol
        --send-group --event --invoke --out --duration"

    case $prev in
        --binary-file | --out)
            _filedir
            return
            ;;
        --permission)
            COMPREPLY=($(compgen -W "sendToGroup joinLeaveGroup" -- "$cur"))
            return
            ;;
        --client-type)
            COMPREPLY=($(compgen -W "default mqtt socketio" -- "$cur"))
            return
            ;;
        --protocol)
            COMPREPLY=($(compgen -W "json json.reliable protobuf protobuf.reliable raw" -- "$cur"))
            return
            ;;
        --role)
            COMPREPLY=($(compgen -W "webpubsub.joinLeaveGroup webpubsub.sendToGroup" -- "$cur"))
            return
            ;;
        --endpoint | --connection-string | --hub | --timeout | --retries | --text | --json-body | \
            --content-type | --excluded | --filter | --ttl | --user | --group | --connection | --reason | \
            --target | --minutes | --maxpagesize | --top | --send-group | --event | --invoke | --duration)
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi

    # The first word that is not an option (nor an option's value) is the command.
    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* && ${words[i - 1]} != --@(endpoint|connection-string|hub|timeout|retries|text|json-body|binary-file|content-type|excluded|filter|ttl|user|group|connection|reason|permission|target|role|minutes|client-type|maxpagesize|top|protocol|send-group|event|invoke|out|duration) ]]; then
            # `trace` has subcommands; any other command takes only options.
            if [[ ${words[i]} == trace && $i -eq $((cword - 1)) ]]; then
                COMPREPLY=($(compgen -W "record convert" -- "$cur"))
            fi
            return
        fi
    done
    COMPREPLY=($(compgen -W "$commands" -- "$cur"))
} &&
    complete -F _webpubsub webpubsub

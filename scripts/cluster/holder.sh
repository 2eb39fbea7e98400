#!/usr/bin/env bash
# holder.sh NODE DIR: the root process of one cluster node of scripts/cluster.sh. Started
# as `ip netns exec NS unshare --uts --mount --propagation private holder.sh NODE DIR`, it
# gives the node its host name and its own view of the folders corosync, Pacemaker and
# the resource agents keep state in (bind mounts of DIR's subfolders, private tmpfs on
# /run and /dev/shm), then sleeps; the node's daemons join its namespaces with nsenter.
set -euo pipefail
node=$1 dir=$2
hostname "$node"
mount --bind "$dir/etc-corosync" /etc/corosync
mount --bind "$dir/var-lib-corosync" /var/lib/corosync
mount --bind "$dir/var-lib-pacemaker" /var/lib/pacemaker
mount --bind "$dir/log-corosync" /var/log/corosync
mount --bind "$dir/log-pacemaker" /var/log/pacemaker
mount --bind "$dir/resource.d" /usr/lib/ocf/resource.d
mount --bind "$dir/tmp" /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/crm /run/resource-agents
chown hacluster:haclient /run/crm
echo $$ > "$dir/holder.ready"
exec sleep infinity
